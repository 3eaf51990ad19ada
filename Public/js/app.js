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
// A live counter for limited text (活动概况 ≤ 100 characters): counts characters as a reader does (an emoji or
// a CJK character is one), and stops the text at the limit, as the server would refuse anything longer.
document.addEventListener("DOMContentLoaded", () => {
  const segmenter = window.Intl && Intl.Segmenter ? new Intl.Segmenter("zh", { granularity: "grapheme" }) : null;
  const chars = (text) => (segmenter ? Array.from(segmenter.segment(text), (s) => s.segment) : Array.from(text));
  document.querySelectorAll("textarea[data-char-limit]").forEach((field) => {
    const limit = Number(field.dataset.charLimit);
    const counter = document.getElementById(field.dataset.counter);
    const update = () => {
      let parts = chars(field.value);
      if (parts.length > limit) {
        parts = parts.slice(0, limit);
        field.value = parts.join("");
      }
      if (counter) {
        counter.textContent = parts.length + "/" + limit;
        counter.classList.toggle("at-limit", parts.length >= limit);
      }
    };
    field.addEventListener("input", update);
    update();
  });
});
// A refused form came back: bring it into view and put the cursor in the first field with a message.
document.addEventListener("DOMContentLoaded", () => {
  const refused = document.getElementById("form-error");
  if (!refused) return;
  const first = document.querySelector(".field-error");
  const field = first && first.closest("label") && first.closest("label").querySelector("input, select, textarea");
  (field || refused).scrollIntoView({ block: "center" });
  if (field) field.focus({ preventScroll: true });
});
