// Attendance sheet: accent-insensitive quick filter and "select visible" for the tick boxes.
(function () {
  "use strict";
  const filter = document.getElementById("sheet-filter");
  const counter = document.getElementById("selected-count");
  const rows = Array.from(document.querySelectorAll("tr[data-search]"));
  const fold = (text) => text.toLowerCase().replace(/đ/g, "d").normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  const count = () => {
    counter.textContent = document.querySelectorAll(".sheet-select:checked").length;
  };
  if (filter) {
    filter.addEventListener("input", () => {
      const term = fold(filter.value.trim());
      rows.forEach((row) => {
        row.hidden = term !== "" && !row.dataset.search.includes(term);
      });
    });
  }
  document.getElementById("select-visible")?.addEventListener("click", () => {
    rows.filter((row) => !row.hidden).forEach((row) => {
      row.querySelector(".sheet-select").checked = true;
    });
    count();
  });
  document.querySelectorAll(".sheet-select").forEach((box) => box.addEventListener("change", count));
  count();
})();
