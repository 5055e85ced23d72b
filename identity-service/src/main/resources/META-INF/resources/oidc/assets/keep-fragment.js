// A browser never sends the address's fragment (an application's deep link such as /console#/search?q=…) to the
// server, and a form posted to a relative action drops it. Carried on the action, it survives the redirects back to
// the application, which then opens the section the user asked for instead of its start page.
for (const form of document.querySelectorAll('form[data-keep-fragment]')) {
    form.addEventListener('submit', () => {
        if (location.hash) {
            form.action = form.getAttribute('action') + location.hash;
        }
    });
}
