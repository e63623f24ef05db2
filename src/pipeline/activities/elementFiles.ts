// Steps hand elements to each other as JSON files in the work dir; each step writes its own file beside the last.
import { readFile } from 'node:fs/promises';
import type { Element } from '../../core/elements';
import { writeFileAtomic } from '../../core/atomicWrite';

export interface StepOutput {
  elementsPath: string;
  elementCount: number;
}

export async function readElements(file: string): Promise<Element[]> {
  return JSON.parse(await readFile(file, 'utf8')) as Element[];
}

/** `<page>.v3.elements.json` -> `<page>.v3.<step>.json` */
export function stepOutputPath(previousPath: string, step: string): string {
  return previousPath.replace(/\.[a-z]+\.json$|\.html$/, `.${step}.json`);
}

export async function writeStepOutput(previousPath: string, step: string, elements: Element[]): Promise<StepOutput> {
  const elementsPath = stepOutputPath(previousPath, step);
  await writeFileAtomic(elementsPath, JSON.stringify(elements));
  return { elementsPath, elementCount: elements.length };
}
