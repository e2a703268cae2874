#!/usr/bin/env node
/*
 * `npm run lint`: the package's one ESLint config (lint/eslint.config.mjs: n8n's scanner config,
 * the layer rules as allow-lists, the known exceptions with their issues) over what the scanner
 * lints in the source, package.json and {nodes,credentials}/**\/*.{js,ts,json}, inline disable
 * comments ignored. `npm run lint -- --fix` fixes what the rules can.
 */
'use strict';

const { runEslint } = require('./lint-tools');

runEslint('lint/eslint.config.mjs', process.argv.slice(2));
