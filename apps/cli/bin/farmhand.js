#!/usr/bin/env node
// The `farmhand` command: Farmhand's packages run from their TypeScript sources, through tsx.
import { tsImport } from 'tsx/esm/api';

await tsImport('../src/main.ts', import.meta.url);
