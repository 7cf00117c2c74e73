// The baseline of the ack benchmark: a bare Bolt app that only acknowledges the same slash command.
import bolt from '@slack/bolt';

const { App, LogLevel } = bolt;
const app = new App({
  token: process.env.SLACK_BOT_TOKEN,
  signingSecret: process.env.SLACK_SIGNING_SECRET,
  logLevel: LogLevel.ERROR,
  clientOptions: { slackApiUrl: process.env.SLACK_API_URL },
});
app.command(/.*/, async ({ ack }) => {
  await ack();
});
// Default Bolt: auth.test once at start-up, then every request is only verified and acknowledged.
await app.start(Number(process.env.PORT));
process.stdout.write('ready\n');
process.on('SIGTERM', () => app.stop().then(() => process.exit(0)));
