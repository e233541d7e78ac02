// Entry point of `busybox-fetch` (DESIGN.md). Not implemented yet.
process.stderr.write('busybox-fetch: not implemented yet\n');
process.exit(2);
