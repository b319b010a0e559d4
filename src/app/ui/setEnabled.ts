/** A control that can be disabled: buttons, inputs, selects, fieldsets. */
export type Disableable = HTMLButtonElement | HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement | HTMLFieldSetElement;

/**
 * Enables or disables a control and says why on hover: a disabled control's title is the reason
 * (what to do first), an enabled one gets its own title back. The reason is kept in
 * `data-disabled-reason`, so the page-wide watcher (`watchDisabledReasons`) shows it too when
 * other code sets `disabled` directly.
 */
export function setEnabled(control: Disableable, enabled: boolean, reasonWhenDisabled: string): void {
  control.dataset.disabledReason = reasonWhenDisabled;
  control.disabled = !enabled;
  showReason(control);
}

/** The title a control shows for its state: its own when enabled, the reason when disabled. */
function showReason(control: Disableable): void {
  const reason = control.dataset.disabledReason;
  if (reason === undefined) return;
  // The control's own title (its help when enabled), remembered the first time.
  if (control.dataset.enabledTitle === undefined) control.dataset.enabledTitle = control.disabled ? '' : control.title;
  const own = control.dataset.enabledTitle;
  if (control.disabled) control.title = own ? `${reason} (${own})` : reason;
  else if (own) control.title = own;
  else control.removeAttribute('title');
}

/**
 * Watches the page: whenever a control with a `data-disabled-reason` (set in index.html or by
 * setEnabled) is disabled or enabled, by whatever code, its title follows. Returns the observer.
 */
export function watchDisabledReasons(root: ParentNode & Node = document.body): MutationObserver {
  for (const control of root.querySelectorAll<Disableable>('[data-disabled-reason]')) showReason(control);
  const observer = new MutationObserver((records) => {
    for (const record of records) {
      const target = record.target as Disableable;
      if (record.type === 'attributes' && target.dataset?.disabledReason !== undefined) showReason(target);
      for (const node of record.addedNodes) {
        if (!(node instanceof HTMLElement)) continue;
        if (node.dataset.disabledReason !== undefined) showReason(node as Disableable);
        for (const control of node.querySelectorAll<Disableable>('[data-disabled-reason]')) showReason(control);
      }
    }
  });
  observer.observe(root, { subtree: true, childList: true, attributes: true, attributeFilter: ['disabled', 'data-disabled-reason'] });
  return observer;
}
