// Entry point of `breakglass-init` (DESIGN.md). Not implemented yet.
process.stderr.write('breakglass-init: not implemented yet\n');
process.exit(2);
