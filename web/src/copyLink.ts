// The shopper link of a promotion (an absolute /p/<id> address) in a read-only box
// with a Copy button: the clipboard where the browser allows it, else the text is
// selected for the marketer to copy by hand.

/** The address shoppers open for promotion `id`. */
export function shopperUrl(id: number): string {
  return new URL(`/p/${id}`, window.location.origin).href;
}

/** Wires the box `#<prefix>-link`, its `#<prefix>-copy` button and `#<prefix>-copied` line. */
export function copyBox(prefix: string): (id: number) => void {
  const find = (suffix: string) => {
    const el = document.getElementById(`${prefix}-${suffix}`);
    if (!el) throw new Error(`Missing #${prefix}-${suffix}`);
    return el;
  };
  const box = find('link') as HTMLInputElement;
  const said = find('copied');
  find('copy').addEventListener('click', () => {
    box.select();
    navigator.clipboard.writeText(box.value).then(
      () => {
        said.textContent = 'Copied. Paste it wherever shoppers will see it.';
      },
      () => {
        said.textContent = 'The browser did not allow copying: the link is selected, copy it.';
      },
    );
  });
  return (id: number) => {
    const url = shopperUrl(id);
    if (box.value !== url) said.textContent = '';
    box.value = url;
  };
}
