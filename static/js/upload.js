// Shows how much of the workbook has been sent while htmx posts the upload form.
document.addEventListener("htmx:xhr:progress", (event) => {
  const form = event.target.closest(".upload-form");
  if (!form || !event.detail.lengthComputable) return;
  const box = form.querySelector(".upload-progress");
  const bar = box.querySelector("progress");
  const percent = Math.round((event.detail.loaded / event.detail.total) * 100);
  box.hidden = false;
  bar.value = percent;
  bar.textContent = `${percent} %`;
});
