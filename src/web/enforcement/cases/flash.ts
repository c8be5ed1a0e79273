/** A one-off "Saved" notice carried from the form to the case page it navigates to. */
let flash: { id: string; at: number } | null = null;

export function flashSaved(id: string) {
  flash = { id, at: Date.now() };
}

/** True when the case was saved in the last few seconds (read twice under StrictMode, hence not cleared). */
export function wasJustSaved(id: string): boolean {
  return !!flash && flash.id === id && Date.now() - flash.at < 10_000;
}
