import { mountRegional } from './regional.ts';

/** Entry of taskpane-regional.js: hands the Region's panel to load-work.ts, which injected this script. */
window.rendicontaLepsRegional = { mountRegional };
