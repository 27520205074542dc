import fs from 'node:fs';
import path from 'node:path';
import { renderReadme } from './readme.ts';

fs.writeFileSync(path.join(import.meta.dirname, '..', 'README.md'), renderReadme());
console.log('packages/clinical/README.md written');
