/** Short human duration from nanoseconds given as a decimal string or number. */
export function formatNs(ns: string | number): string {
  const n = typeof ns === 'string' ? Number(ns) : ns;
  if (!Number.isFinite(n)) {
    return '?';
  }
  if (n < 1e3) {
    return `${n} ns`;
  }
  if (n < 1e6) {
    return `${(n / 1e3).toFixed(n < 1e4 ? 1 : 0)} µs`;
  }
  if (n < 1e9) {
    return `${(n / 1e6).toFixed(n < 1e7 ? 1 : 0)} ms`;
  }
  return `${(n / 1e9).toFixed(n < 1e10 ? 2 : 1)} s`;
}

/** Local date and time, to the second. */
export function formatTime(ms: number): string {
  const d = new Date(ms);
  const pad = (x: number) => String(x).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** "3 min ago", "2 h ago", … */
export function formatAgo(ms: number, now = Date.now()): string {
  const s = Math.max(0, Math.round((now - ms) / 1000));
  if (s < 60) {
    return `${s} s ago`;
  }
  if (s < 3600) {
    return `${Math.floor(s / 60)} min ago`;
  }
  if (s < 86_400) {
    return `${Math.floor(s / 3600)} h ago`;
  }
  return `${Math.floor(s / 86_400)} d ago`;
}

/** Saves text as a file download in the browser. */
export function downloadText(text: string, filename: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
