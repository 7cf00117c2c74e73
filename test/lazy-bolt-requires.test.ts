/**
 * The build (tsup.config.ts) gives two of Bolt's requires a stand-in that loads the real module on first use,
 * so `npm start` over HTTP never evaluates @slack/socket-mode (with undici) or express. A stand-in offers only
 * what Bolt reads from the module it replaces: this checks, in the installed Bolt, that it still reads nothing
 * else, so a Bolt upgrade that does fails here rather than in a built server. The built server itself is run
 * in Socket Mode by test/e2e/socket-mode.test.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const bolt = (file: string) =>
  readFileSync(join(process.cwd(), 'node_modules/@slack/bolt/dist', file), 'utf8');

/** Each `name.member` read in `source`. */
const reads = (source: string, name: string) =>
  [...source.matchAll(new RegExp(`\\b${name}\\.(\\w+)`, 'g'))].map((m) => m[1]);

describe("the build's stand-ins for Bolt's requires", () => {
  it('SocketModeReceiver requires @slack/socket-mode once and reads only SocketModeClient from it', () => {
    const source = bolt('receivers/SocketModeReceiver.js');
    expect(source.match(/require\("@slack\/socket-mode"\)/g)).toHaveLength(1);
    expect(source).toContain('const socket_mode_1 = require("@slack/socket-mode");');
    expect(new Set(reads(source, 'socket_mode_1'))).toEqual(new Set(['SocketModeClient']));
  });

  it('only SocketModeReceiver requires @slack/socket-mode, and only index requires ExpressReceiver, for its default', () => {
    const index = bolt('index.js');
    expect(index).toContain(
      'const ExpressReceiver_1 = __importDefault(require("./receivers/ExpressReceiver"));',
    );
    expect(new Set(reads(index, 'ExpressReceiver_1'))).toEqual(new Set(['default']));
    for (const file of ['App.js', 'receivers/HTTPReceiver.js', 'receivers/AwsLambdaReceiver.js']) {
      expect(bolt(file)).not.toContain('require("@slack/socket-mode")');
      expect(bolt(file)).not.toContain('require("./receivers/ExpressReceiver")');
      expect(bolt(file)).not.toContain('require("./ExpressReceiver")');
    }
  });
});
