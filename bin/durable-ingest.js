#!/usr/bin/env node
// The embedded Temporal server starts before the code loads (src/temporal/prestart.ts): the two take about as long.
require('tsx/cjs');
require('../src/temporal/prestart.ts').prestartEmbeddedServer(process.argv.slice(2), process.env);
require('../src/cli/main.ts').main();
