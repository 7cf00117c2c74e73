/** A Notifier that keeps the notices it is told, in order, for use-case tests to read. */
import type { Notice, NoticeKind } from '../../src/domain/notices.js';
import type { Notifier } from '../../src/domain/ports.js';

/** Keeps every notice told. */
export class RecordingNotifier implements Notifier {
  readonly notices: Notice[] = [];

  async notify(notices: readonly Notice[]): Promise<void> {
    this.notices.push(...notices);
  }

  /** The notices of one kind, in the order told. */
  of<K extends NoticeKind>(kind: K): Extract<Notice, { kind: K }>[] {
    return this.notices.filter((n): n is Extract<Notice, { kind: K }> => n.kind === kind);
  }
}
