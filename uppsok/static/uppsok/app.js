// Small progressive enhancements; every form works without this file.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-copy-target]");
  if (!button) return;
  const source = document.getElementById(button.dataset.copyTarget);
  if (!source || !navigator.clipboard) return;
  navigator.clipboard.writeText(source.value ?? source.textContent).then(() => {
    const status = document.getElementById(button.dataset.copyStatus || "");
    if (status) status.textContent = button.dataset.copiedText || "Kopierat";
  });
});
