// Swagger UI on the server's own OpenAPI document (a file, not inline: the CSP forbids inline scripts).
/* global window, SwaggerUIBundle */
window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui' });
