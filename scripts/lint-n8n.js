#!/usr/bin/env node
/*
 * `npm run lint:n8n`: the source half of `npm run scan` on the ESLint command line (so `--fix`
 * and other ESLint options work): n8n's verification scanner's own config
 * (lint/scanner.config.mjs) over the files it lints in the source, package.json and
 * {nodes,credentials}/**\/*.{js,ts,json}, inline disable comments ignored as the scanner ignores
 * them. No exceptions: what fails here fails n8n's verification.
 */
'use strict';

const { runEslint } = require('./lint-tools');

runEslint('lint/scanner.config.mjs', process.argv.slice(2));
