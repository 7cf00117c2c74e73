import type { Priority } from './command.js';

export interface ActionItem {
  id: number;
  incidentNumber: number;
  text: string;
  ownerId: string | null;
  priority: Priority;
  /** YYYY-MM-DD */
  due: string | null;
  createdBy: string;
  createdAt: number;
  doneAt: number | null;
  doneBy: string | null;
}
