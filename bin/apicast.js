#!/usr/bin/env node
import '../dist/gateway/src/cli.js';
