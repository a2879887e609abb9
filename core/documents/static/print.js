// The "In" (print) button of the document toolbar; kept out of the markup so a strict CSP can forbid inline scripts.
document.addEventListener("DOMContentLoaded", function () {
  var button = document.getElementById("print-button");
  if (button) { button.addEventListener("click", function () { window.print(); }); }
});
