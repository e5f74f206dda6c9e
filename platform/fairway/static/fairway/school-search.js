// School questions: the GOV.UK text input the server renders becomes an accessible-autocomplete
// (the component GOV.UK recommends) whose suggestions come from the case's school search, a page
// of at most 20 schools of the case's home council. Picking one writes "Name (URN n)" in the box
// and the school's id in the hidden input beside it. Without this script the text box still
// works: the server reads a URN, a unique name or that label.
const VENDOR = new URL("../accessible-autocomplete/", import.meta.url);

function escapeHtml(text) {
  const span = document.createElement("span");
  span.textContent = text;
  return span.innerHTML;
}

function label(school) {
  return `${school.name} (URN ${school.urn})`;
}

function loadVendor() {
  if (window.accessibleAutocomplete) return Promise.resolve(window.accessibleAutocomplete);
  const css = document.createElement("link");
  css.rel = "stylesheet";
  css.href = new URL("accessible-autocomplete.min.css", VENDOR).href;
  document.head.append(css);
  return new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = new URL("accessible-autocomplete.min.js", VENDOR).href;
    script.onload = () => resolve(window.accessibleAutocomplete);
    script.onerror = reject;
    document.head.append(script);
  });
}

// The search, and a way to drop an answer still on its way: without it a slow answer reopens
// the suggestions after the person has closed them (Escape) or left the box, over the next question.
function searcher(url) {
  let pending = null;
  const cancel = () => {
    if (pending) pending.abort();
    pending = null;
  };
  const source = (query, populateResults) => {
    cancel();
    pending = new AbortController();
    const address = new URL(url, window.location.href);
    address.searchParams.set("q", query);
    fetch(address, { signal: pending.signal, credentials: "same-origin" })
      .then((response) => (response.ok ? response.json() : { results: [] }))
      .then((data) => populateResults(data.results))
      .catch((error) => {
        if (error.name !== "AbortError") populateResults([]);
      });
  };
  return { source, cancel };
}

function enhance(accessibleAutocomplete, wrapper) {
  const input = wrapper.querySelector('input[type="text"]');
  const hidden = wrapper.querySelector('input[type="hidden"]');
  if (!input || !hidden) return;
  const container = document.createElement("div");
  wrapper.insertBefore(container, input);
  const { id, name, value } = input;
  const describedBy = input.getAttribute("aria-describedby");
  const hasError = input.classList.contains("govuk-input--error");
  input.remove();
  const search = searcher(wrapper.dataset.schoolSearch);
  accessibleAutocomplete({
    element: container,
    id,
    name,
    defaultValue: value,
    minLength: 2,
    source: search.source,
    showNoOptionsFound: true,
    confirmOnBlur: false,
    inputClasses: hasError ? "govuk-input--error" : null,
    templates: {
      inputValue: (school) => (school ? label(school) : ""),
      suggestion: (school) =>
        typeof school === "string"
          ? escapeHtml(school)
          : `${escapeHtml(school.name)} <span class="fairway-school-search__detail">URN ${escapeHtml(String(school.urn))}${school.postcode ? `, ${escapeHtml(school.postcode)}` : ""}</span>`,
    },
    onConfirm: (school) => {
      if (school) hidden.value = String(school.id);
    },
    tNoResults: () => "No school found",
  });
  const created = container.querySelector("input");
  if (created) {
    created.addEventListener("keydown", (event) => {
      if (event.key === "Escape") search.cancel();
    });
    created.addEventListener("blur", search.cancel);
  }
  if (created && describedBy) {
    // Keep the hint and any error message announced with the box.
    const own = created.getAttribute("aria-describedby");
    created.setAttribute("aria-describedby", [describedBy, own].filter(Boolean).join(" "));
  }
}

export function initSchoolSearch(root = document) {
  const wrappers = [...root.querySelectorAll("[data-school-search]")].filter(
    (wrapper) => wrapper.dataset.schoolSearch,
  );
  if (!wrappers.length) return;
  loadVendor()
    .then((accessibleAutocomplete) => {
      for (const wrapper of wrappers) enhance(accessibleAutocomplete, wrapper);
    })
    .catch(() => {}); // the plain text box still works
}
