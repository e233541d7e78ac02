// Name of a controlling terminal from the tty_nr field of /proc/PID/stat, as ps prints
// it (Documentation/admin-guide/devices.txt for the majors). 0 → "?".

export function decodeDevice(dev: number): { major: number; minor: number } {
  // Linux dev_t in /proc: major in bits 8–19, minor in bits 0–7 and 20–31.
  return { major: (dev >> 8) & 0xfff, minor: (dev & 0xff) | ((dev >>> 12) & 0xfff00) };
}

export function ttyName(ttyNr: number): string {
  if (ttyNr === 0) return '?';
  const { major, minor } = decodeDevice(ttyNr);
  if (major >= 136 && major <= 143) return `pts/${(major - 136) * 256 + minor}`;
  if (major === 4) return minor < 64 ? `tty${minor}` : `ttyS${minor - 64}`;
  if (major === 5 && minor === 0) return 'tty';
  if (major === 5 && minor === 1) return 'console';
  if (major === 204 && minor >= 64) return `ttyAMA${minor - 64}`;
  if (major === 188) return `ttyUSB${minor}`;
  if (major === 166) return `ttyACM${minor}`;
  return `${major},${minor}`;
}
