import { createWork } from './work.ts';

/** Entry of taskpane-work.js: hands the deferred part of the pane to load-work.ts, which injected this script. */
window.rendicontaLepsWork = { createWork };
