// Small progressive enhancements; every page works without them.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-toggle]").forEach((button) => {
    button.addEventListener("click", () => document.getElementById(button.dataset.toggle).classList.toggle("open"));
  });
  document.querySelectorAll("input[data-filter]").forEach((input) => {
    const rows = document.querySelectorAll(input.dataset.filter + " tbody tr");
    input.addEventListener("input", () => {
      const q = input.value.trim();
      rows.forEach((row) => { row.hidden = q !== "" && !(row.dataset.name || "").includes(q); });
    });
  });
});
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-autosubmit]").forEach((el) => el.addEventListener("change", () => el.form.submit()));
  document.querySelectorAll("button[data-confirm]").forEach((button) => {
    button.addEventListener("click", (event) => { if (!window.confirm(button.dataset.confirm)) event.preventDefault(); });
  });
});
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-print]").forEach((b) => b.addEventListener("click", () => window.print()));
});
