// Conditional questions: a question whose protocol condition depends on an answer on the same
// page is hidden until that answer matches (like GOV.UK's conditional reveal). The server applies
// the same condition, so without this script the question shows and is ignored when irrelevant.
function answers(form, name) {
  const inputs = form.querySelectorAll(`[name="${CSS.escape(name)}"]`);
  if (!inputs.length) return null; // asked on another page: the server already decided
  const values = [];
  for (const input of inputs) {
    if (input.type === "radio" || input.type === "checkbox") {
      if (input.checked) values.push(input.value);
    } else {
      values.push(input.value);
    }
  }
  return values;
}

function update(form) {
  for (const group of form.querySelectorAll("[data-show-when]")) {
    const values = answers(form, group.dataset.showWhen);
    if (values === null) continue;
    const wanted = JSON.parse(group.dataset.showValues);
    group.hidden = !values.some((value) => wanted.includes(value));
  }
}

export function initConditionalQuestions(root = document) {
  for (const form of root.querySelectorAll("form")) {
    if (!form.querySelector("[data-show-when]")) continue;
    form.addEventListener("change", () => update(form));
    update(form);
  }
}
