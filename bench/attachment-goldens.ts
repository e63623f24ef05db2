// `npm run bench:attachment-goldens`: how closely our file partitioners agree with Python Unstructured on the
// attachment corpus, per format (the measure: test/support/attachmentGoldens.ts). Prints one JSON line:
// { format: { files, agree, golden, ours, ratio } }; with --files, each file's differences on stderr.
import { parseArgs } from 'node:util';
import { byFormat, corpusFiles, fileAgreement } from '../test/support/attachmentGoldens';

const { values } = parseArgs({ options: { files: { type: 'boolean', default: false } } });

async function main(): Promise<void> {
  const files = [];
  for (const file of corpusFiles()) files.push(await fileAgreement(file));
  if (values.files)
    for (const f of files)
      console.error(`${f.file} ${f.agree}/${f.golden}${f.differences.map((d) => `\n  ${d}`).join('')}`);
  const formats = byFormat(files);
  for (const f of Object.values(formats)) f.ratio = Math.round(f.ratio * 1000) / 1000;
  console.log(JSON.stringify(formats));
}

void main();
