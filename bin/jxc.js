#!/usr/bin/env node
// The `jxc` command is bin/jxc.cjs; this runs it for scripts that still call bin/jxc.js.
import '../bin/jxc.cjs';
