// Steps hand elements to each other as JSON handoffs (a file in the worker's work dir, inline when the next step may
// run elsewhere); each step writes its own file beside the last.
import type { Element } from '../../core/elements';
import type { Handoff } from '../../core/handoff';
import type { Handoffs } from './handoff';

export interface StepOutput {
  elements: Handoff;
  elementCount: number;
}

export async function readElements(handoffs: Handoffs, elements: Handoff): Promise<Element[]> {
  return JSON.parse(await handoffs.readText(elements)) as Element[];
}

export async function writeStepOutput(
  handoffs: Handoffs,
  file: string,
  elements: Element[],
  inline: boolean,
): Promise<StepOutput> {
  return { elements: await handoffs.write(file, JSON.stringify(elements), inline), elementCount: elements.length };
}
