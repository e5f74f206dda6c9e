// The protocol draft editor: CodeMirror 6 with line numbers and YAML mode over the page's plain
// textarea, which stays the form field (without JavaScript the textarea alone works). Bundled
// into one ES module by scripts/bootstrap (esbuild), so no page fetches anything from a CDN.
import { EditorView, basicSetup } from "codemirror";
import { yaml } from "@codemirror/lang-yaml";
import { lintGutter, setDiagnostics } from "@codemirror/lint";

function diagnosticsFor(view, problems) {
  const doc = view.state.doc;
  return problems
    .filter((p) => p.line >= 1 && p.line <= doc.lines)
    .map((p) => {
      const line = doc.line(p.line);
      const from = Math.min(line.from + Math.max(p.column - 1, 0), line.to);
      return { from, to: line.to > from ? line.to : from, severity: "error", message: p.text };
    });
}

function enhance(textarea) {
  const problemsNode = document.getElementById(textarea.dataset.problems || "");
  const problems = problemsNode ? JSON.parse(problemsNode.textContent || "[]") : [];
  const label = document.querySelector(`label[for="${textarea.id}"]`);
  // Mounted in place from the start, so CodeMirror measures its lines (and sizes the line-number
  // gutter) in the page's own fonts.
  const holder = document.createElement("div");
  holder.className = "fairway-yaml-editor";
  textarea.insertAdjacentElement("afterend", holder);
  textarea.style.display = "none"; // GOV.UK's .govuk-textarea would override `hidden`
  const view = new EditorView({
    parent: holder,
    doc: textarea.value,
    extensions: [
      // The page's Content-Security-Policy allows styles with this response's nonce only.
      EditorView.cspNonce.of(textarea.dataset.nonce || ""),
      basicSetup,
      yaml(),
      lintGutter(),
      EditorView.contentAttributes.of({
        "aria-label": label ? label.textContent.trim() : "YAML",
        "aria-describedby": textarea.getAttribute("aria-describedby") || "",
      }),
      EditorView.updateListener.of((update) => {
        if (update.docChanged) textarea.value = update.state.doc.toString();
      }),
    ],
  });
  if (problems.length) view.dispatch(setDiagnostics(view.state, diagnosticsFor(view, problems)));
  // A problem's "line N" link moves the cursor to it in the editor.
  document.querySelectorAll("[data-goto-line]").forEach((link) => {
    link.addEventListener("click", (event) => {
      const n = Number(link.dataset.gotoLine);
      if (!(n >= 1 && n <= view.state.doc.lines)) return;
      event.preventDefault();
      const line = view.state.doc.line(n);
      view.dispatch({ selection: { anchor: line.from }, scrollIntoView: true });
      view.focus();
    });
  });
  if (textarea.form) {
    textarea.form.addEventListener("submit", () => {
      textarea.value = view.state.doc.toString();
    });
  }
}

document.querySelectorAll("textarea[data-module='yaml-editor']").forEach(enhance);
