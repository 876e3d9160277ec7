// Live parts of the pages, without a framework: an element with data-feed listens to that Server-Sent Events feed
// and shows each update's text. The pages work without this script; they are only not live then.
document.querySelectorAll('[data-feed]').forEach(function (element) {
  var feed = new EventSource(element.dataset.feed);
  function show(event) {
    var update = JSON.parse(event.data);
    element.textContent = update.text;
    element.dataset.live = 'on';
    if (update.status) {
      element.dataset.status = update.status;
    }
    if (update.final) {
      feed.close();
      var cancel = document.getElementById('cancel-order');
      if (cancel) {
        cancel.closest('form').remove();
      }
    }
  }
  feed.addEventListener('stock', show);
  feed.addEventListener('status', show);
});
