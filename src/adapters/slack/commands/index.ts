/** Every subcommand handler registers itself on import. */
import './declare.js';
import './help.js';
import './list.js';
