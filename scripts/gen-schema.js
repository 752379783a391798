// Writes resources/pipeline.schema.json from the stage schemas (run by `npm run build`).
import { writeFileSync, readFileSync, existsSync } from 'node:fs';
import { pipelineJsonSchema } from '../dist/runner/pipeline/json-schema.js';

const target = new URL('../resources/pipeline.schema.json', import.meta.url);
const text = JSON.stringify(pipelineJsonSchema(), null, 2) + '\n';
if (!existsSync(target) || readFileSync(target, 'utf8') !== text) writeFileSync(target, text);
