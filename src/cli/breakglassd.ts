// Entry point of `breakglassd` (DESIGN.md). Not implemented yet.
process.stderr.write('breakglassd: not implemented yet\n');
process.exit(2);
