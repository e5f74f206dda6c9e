// Loaded as a module, so it runs only where GOV.UK Frontend is supported (no inline script: CSP).
import { initAll } from "../govuk/govuk-frontend.min.js";
import { initConditionalQuestions } from "./conditional.js";
import { initSchoolSearch } from "./school-search.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();
initConditionalQuestions();
initSchoolSearch();
