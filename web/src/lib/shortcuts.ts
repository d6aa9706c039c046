/** What the page's keyboard shortcuts do (the help dialog lists them, with the editor's own). */
export interface ShortcutActions {
  save: () => void;
  runAll: () => void;
  toggleHelp: () => void;
  closeHelp: () => void;
}

/**
 * The page's keyboard shortcuts, on any key down in the window: Ctrl/⌘ + S saves, Ctrl/⌘ + Shift + Enter runs
 * every cell, F1 or Ctrl/⌘ + / shows or hides the help, Esc hides it. (Running one cell is the editor's.)
 */
export function handleShortcut(e: KeyboardEvent, actions: ShortcutActions): void {
  const mod = e.ctrlKey || e.metaKey;
  if (mod && e.key.toLowerCase() === 's') {
    e.preventDefault();
    actions.save();
  } else if (mod && e.shiftKey && e.key === 'Enter') {
    e.preventDefault();
    actions.runAll();
  } else if (e.key === 'F1' || (mod && e.key === '/')) {
    e.preventDefault();
    actions.toggleHelp();
  } else if (e.key === 'Escape') actions.closeHelp();
}
