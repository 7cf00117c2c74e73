/** What a WebClient call to the sandbox's Slack API failed with, read from the error WebClient throws. */

/** Slack's error code and its `response_metadata.messages`; `no error` when the call succeeded. */
export async function slackFailure(call: Promise<unknown>): Promise<{ error: string; messages: string[] }> {
  const e = (await call.then(
    () => ({}),
    (err: unknown) => err,
  )) as { data?: { error?: string; response_metadata?: { messages?: string[] } } };
  return { error: e.data?.error ?? 'no error', messages: e.data?.response_metadata?.messages ?? [] };
}

/** The Slack error code a WebClient call failed with; `no error` when it succeeded. */
export async function slackError(call: Promise<unknown>): Promise<string> {
  return (await slackFailure(call)).error;
}
