// Entry point of `breakglass` (DESIGN.md). Not implemented yet.
process.stderr.write('breakglass: not implemented yet\n');
process.exit(2);
