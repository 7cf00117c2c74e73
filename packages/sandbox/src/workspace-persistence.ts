/**
 * Keeps the sandbox's Slack workspace in the sandbox's state file, so a restart finds the channels, messages and
 * files the app's own records point at. Changes are saved shortly after they happen (a command changes many
 * things at once) and once more when the sandbox stops.
 */
import type { WorkspaceStore } from './store/workspace-store.js';
import { SlackWorkspace, type SlackWorkspaceOptions } from './slack-workspace.js';
import type { WorkspaceSnapshot } from './slack-workspace-types.js';

const KEY = 'slack_workspace';

/** The stored workspace, or a fresh one when none was stored; throws when the stored one cannot be read. */
export function restoreWorkspace(
  repo: WorkspaceStore,
  options: SlackWorkspaceOptions,
): { workspace: SlackWorkspace; restored: boolean } {
  const stored = repo.get(KEY);
  if (stored === null) return { workspace: new SlackWorkspace(options), restored: false };
  let snapshot: WorkspaceSnapshot;
  try {
    snapshot = JSON.parse(stored) as WorkspaceSnapshot;
  } catch (e) {
    throw new Error(`the stored sandbox workspace is not valid JSON (${(e as Error).message})`);
  }
  return { workspace: SlackWorkspace.fromJSON(snapshot, options), restored: true };
}

/** Saves a workspace after each burst of changes; `flush()` saves now, `stop()` saves and stops listening. */
export class WorkspaceSaver {
  private timer: NodeJS.Timeout | null = null;
  private dirty = false;
  private readonly onChange = () => {
    this.dirty = true;
    if (!this.timer) this.timer = setTimeout(() => this.flush(), this.delayMs);
  };

  constructor(
    private readonly workspace: SlackWorkspace,
    private readonly repo: WorkspaceStore,
    private readonly clock: () => number,
    private readonly delayMs = 250,
    private readonly onError: (error: unknown) => void = () => {},
  ) {
    workspace.on('change', this.onChange);
  }

  /** Saves the whole workspace now, changed or not (a fresh one, so the file holds it from the first start). */
  save(): void {
    this.dirty = true;
    this.flush();
  }

  /** Saves pending changes now; a failure is reported and retried at the next change. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (!this.dirty) return;
    try {
      this.repo.put(KEY, JSON.stringify(this.workspace.toJSON()), this.clock());
      this.dirty = false;
    } catch (e) {
      this.onError(e);
    }
  }

  stop(): void {
    this.workspace.off('change', this.onChange);
    this.flush();
  }
}
