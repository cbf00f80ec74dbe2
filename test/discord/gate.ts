/**
 * Holds whatever awaits `passed()` until the test calls `open()`: a command or renderer made slow
 * this way finishes exactly when the test lets it (after it has seen the deferral, say), so the
 * outcome depends on no timer. `close()` starts holding again, for the next interaction; a gate
 * opened stays open until then, so an opening that comes first is not lost.
 */
export interface Gate {
  passed(): Promise<void>;
  open(): void;
  close(): void;
}

export function gate(): Gate {
  let open!: () => void;
  let current!: Promise<void>;
  const close = () => {
    current = new Promise<void>((resolve) => (open = resolve));
  };
  close();
  return { passed: () => current, open: () => open(), close };
}
