// pdfminer's grouping and Unstructured's reading order on hand-placed runs (top-down page coordinates, 11 pt text).
import { describe, expect, it } from 'vitest';
import { type Box, lines, type Run, textBoxes } from '../../src/steps/partition/pdfLayout';
import { readingOrder } from '../../src/steps/partition/readingOrder';

const run = (text: string, x0: number, top: number, width = text.length * 5.5): Run => ({
  text,
  x0,
  x1: x0 + width,
  top,
  bottom: top + 11,
  size: 11,
});
const texts = (boxes: Box[]) => boxes.map((b) => b.text);

describe('pdfminer grouping', () => {
  it('keeps runs of one line together, with a space where glyphs are apart, and splits at a gap of over two glyphs', () => {
    expect(texts(lines([run('Service', 60, 100), run('Target', 100, 100), run('Achieved', 300, 100)]))).toEqual([
      'Service Target',
      'Achieved',
    ]);
  });

  it('joins lines into a box only when the gap between them is under half a line, aligned and as tall', () => {
    const close = [run('first line of a paragraph', 60, 100), run('second line', 60, 116)]; // 5 pt apart
    const apart = [run('first line of a paragraph', 60, 100), run('second line', 60, 117)]; // 6 pt apart
    const indented = [run('first line of a paragraph', 60, 100), run('second line', 90, 116)];
    expect(texts(textBoxes(lines(close)))).toEqual(['first line of a paragraph\nsecond line']);
    expect(texts(textBoxes(lines(apart)))).toHaveLength(2);
    expect(texts(textBoxes(lines(indented)))).toHaveLength(2);
  });
});

describe('reading order (XY-cut, columns first)', () => {
  const box = (text: string, x0: number, top: number, width = 100, height = 11): Box => ({
    text,
    x0,
    x1: x0 + width,
    top,
    bottom: top + height,
  });

  it('reads a table under nothing that spans it column by column, as Unstructured does', () => {
    const cells = [box('Plan', 60, 100), box('Price', 300, 100), box('Starter', 60, 120), box('10 EUR', 300, 120)];
    expect(texts(readingOrder(cells))).toEqual(['Plan', 'Starter', 'Price', '10 EUR']);
  });

  it('reads it row by row under a heading across the page', () => {
    const table = [
      box('Heading across the page', 60, 80, 400),
      box('Plan', 60, 100),
      box('Price', 300, 100),
      box('Starter', 60, 120),
      box('10 EUR', 300, 120),
    ];
    expect(texts(readingOrder(table))).toEqual(['Heading across the page', 'Plan', 'Price', 'Starter', '10 EUR']);
  });

  it('reads columns one after the other where no gap runs across both of them', () => {
    const page = [
      box('Heading', 60, 80, 400),
      box('left one', 60, 100, 150),
      box('right, one tall box', 250, 100, 150, 100),
      box('left two', 60, 140, 150),
    ];
    expect(texts(readingOrder(page))).toEqual(['Heading', 'left one', 'left two', 'right, one tall box']);
  });
});
