/** Every subcommand handler registers itself on import. */
import './action.js';
import './declare.js';
import './help.js';
import './list.js';
import './note.js';
import './postmortem.js';
import './oncall.js';
import './page.js';
import './reopen.js';
import './resolve.js';
import './role.js';
import './runbook.js';
import './services.js';
import './sev.js';
import './status.js';
import './timeline.js';
import './update.js';
