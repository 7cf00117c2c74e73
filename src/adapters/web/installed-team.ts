/** The workspace Muster is installed in, which alone may sign in to the web page. */
import type { WebClient } from '@slack/web-api';

export interface InstalledTeam {
  id: string;
  name: string;
}

/**
 * The installed workspace from `auth.test` with the bot token, asked once and then kept (it changes only with a
 * new bot token, which means a restart); a failed call is asked again next time.
 */
export function installedTeamOf(web: WebClient): () => Promise<InstalledTeam> {
  let known: Promise<InstalledTeam> | null = null;
  return () => {
    known ??= web.auth
      .test()
      .then((r) => {
        if (typeof r.team_id !== 'string' || !r.team_id)
          throw new Error('auth.test answered without a team_id');
        return { id: r.team_id, name: typeof r.team === 'string' && r.team ? r.team : r.team_id };
      })
      .catch((error: unknown) => {
        known = null;
        throw error;
      });
    return known;
  };
}
