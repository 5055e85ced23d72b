// response_mode=form_post: the authorization response is posted to the application at once; the button is there
// for a browser that runs no script.
for (const form of document.querySelectorAll('form[data-auto-submit]')) {
    form.submit();
}
