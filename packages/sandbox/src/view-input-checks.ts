/**
 * The checks a Slack client makes before it submits a modal: a required input left empty, or text shorter or
 * longer than the element allows. Slack shows these next to the field and sends nothing to the app.
 */
import { blockIdOf, type EnteredValues, elementsOf, initialOf } from './slack-view-state.js';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Field errors by block id (empty when the modal may be submitted). */
export function inputProblems(blocks: unknown, entered: EnteredValues): Record<string, string> {
  const problems: Record<string, string> = {};
  if (!Array.isArray(blocks)) return problems;
  const optional = new Map<string, boolean>();
  blocks.forEach((b, i) => {
    if (isObject(b) && b['type'] === 'input') optional.set(blockIdOf(b, i), b['optional'] === true);
  });
  for (const { blockId, actionId, element } of elementsOf(blocks)) {
    if (!optional.has(blockId)) continue;
    const given = entered[blockId]?.[actionId];
    const value = given === undefined ? initialOf(element) : given;
    const empty = value === null || value === '' || (Array.isArray(value) && value.length === 0);
    if (empty) {
      if (!optional.get(blockId)) problems[blockId] = 'Please complete this required field.';
      continue;
    }
    if (typeof value !== 'string') continue;
    const max = element['max_length'];
    const min = element['min_length'];
    if (typeof max === 'number' && value.length > max) {
      problems[blockId] = `Please enter no more than ${max} characters (you have ${value.length}).`;
    } else if (typeof min === 'number' && value.length < min) {
      problems[blockId] = `Please enter at least ${min} characters.`;
    }
  }
  return problems;
}
