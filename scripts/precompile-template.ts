/**
 * Part of `npm run build`: checks the shipped postmortem template and writes it precompiled to
 * dist/postmortem-template.cjs, which `muster export` renders through the Handlebars runtime alone.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { precompileTemplate } from '../src/adapters/render/postmortem-renderer.js';
import { PRECOMPILED_FILE } from '../src/adapters/render/precompiled-template.js';

const root = join(import.meta.dirname, '..');
writeFileSync(join(root, PRECOMPILED_FILE), precompileTemplate(join(root, 'templates/postmortem.md.hbs')));
