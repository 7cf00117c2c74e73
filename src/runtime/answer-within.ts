/**
 * Waiting at most so long for something that may be slow (Slack, the database, work in flight), then going on
 * with what is known: the answer of `work` when it comes within `ms`, else `otherwise`. A failure of `work`
 * within the time is thrown as it is. The timer is cleared as soon as either comes.
 */
export async function answerWithin<T, F>(work: Promise<T>, ms: number, otherwise: F): Promise<T | F> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<F>((resolve) => {
    timer = setTimeout(() => resolve(otherwise), ms);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}
