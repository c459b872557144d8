#!/usr/bin/env node
// The `jxc` command is bin/jxc.cjs (CommonJS, see there); this runs it for scripts that still call bin/jxc.js.
import './jxc.cjs';
