#!/usr/bin/env node
import '../dist/operator/src/cli.js';
