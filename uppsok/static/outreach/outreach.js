// Copy-to-clipboard for message templates. Progressive enhancement: the text is selectable without it.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("button.copy-button").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var target = document.getElementById(button.dataset.copyTarget);
      if (!target) { return; }
      var done = function () { button.textContent = button.dataset.copied || "Kopierat"; };
      if (navigator.clipboard) {
        navigator.clipboard.writeText(target.value).then(done);
      } else {
        target.select();
        document.execCommand("copy");
        done();
      }
    });
  });
});
