// Keyboard and screen-reader users land on what just changed: after a swap (or a page
// answered with errors) focus moves to the element marked data-autofocus.
function relaydeskFocus() {
  var el = document.querySelector("[data-autofocus]");
  if (el) { el.removeAttribute("data-autofocus"); el.focus(); }
}
document.addEventListener("DOMContentLoaded", relaydeskFocus);
document.addEventListener("htmx:afterSettle", relaydeskFocus);
// Countdowns tick between page loads (the server wrote the same words at render time).
function relaydeskSpan(seconds) {
  var minutes = Math.floor(Math.abs(seconds) / 60);
  if (minutes < 1) return "less than a minute";
  if (minutes < 60) return minutes + " min";
  var hours = Math.floor(minutes / 60); minutes = minutes % 60;
  if (hours < 48) return minutes ? hours + " h " + String(minutes).padStart(2, "0") + " min" : hours + " h";
  var days = Math.floor(hours / 24); hours = hours % 24;
  return hours ? days + " d " + hours + " h" : days + " d";
}
setInterval(function () {
  document.querySelectorAll("[data-countdown]").forEach(function (el) {
    var seconds = (Date.parse(el.dataset.countdown) - Date.now()) / 1000;
    el.textContent = relaydeskSpan(seconds) + (seconds >= 0 ? " left" : " overdue");
    if (seconds < 0) el.classList.add("overdue");
  });
}, 30000);
