package io.vidbatch.console;

import io.vidbatch.api.Roles;
import io.vidbatch.api.SameOrigin;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.IOException;
import java.security.Principal;
import java.util.List;
import java.util.logging.Logger;

/**
 * The console's sign-in. A password form posts here; Liberty checks it against the user
 * registry and answers with its single sign-on cookie (HttpOnly, SameSite), which every later
 * call to /api/v1, /ibm/api/batch and Admin Center accepts. The page never holds a password,
 * and this path is outside the BASIC-protected /api so a lapsed sign-in shows our form rather
 * than the browser's password dialog.
 */
@WebServlet("/session")
public class SessionServlet extends HttpServlet {

    private static final Logger LOG = Logger.getLogger(SessionServlet.class.getName());
    /** SSO_SIGN_IN: the server signs browsers in through an OpenID Provider (openidConnectClient). */
    @Inject
    @ConfigProperty(name = "sso.sign.in", defaultValue = "false")
    boolean singleSignOn;

    private static final List<String> ROLES = List.of(Roles.ADMIN, Roles.SUBMITTER, Roles.MONITOR);

    /** Who is signed in, with their batch roles; 401 when nobody is. */
    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Principal p = req.getUserPrincipal();
        if (p == null) {
            JsonObject body = error("not signed in");
            if (singleSignOn) {
                // The console then offers the server's own sign-in too (an OpenID Provider: docs/sign-in.md).
                body = Json.createObjectBuilder(body)
                        .add("sso", req.getContextPath() + SingleSignOnServlet.PATH)
                        .build();
            }
            send(resp, HttpServletResponse.SC_UNAUTHORIZED, body);
            return;
        }
        send(resp, HttpServletResponse.SC_OK, whoIs(req, p));
    }

    /** Signs in with the form fields {@code user} and {@code password}. */
    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException, ServletException {
        if (!SameOrigin.allowed(req.getHeader("Sec-Fetch-Site"), req.getHeader("Origin"), req.getHeader("Host"))) {
            // Another site signing a visitor in as someone else (login forgery) would be as bad.
            send(resp, HttpServletResponse.SC_FORBIDDEN, error("refused: this request came from another site's page"));
            return;
        }
        String user = req.getParameter("user");
        String password = req.getParameter("password");
        if (user == null || user.isBlank() || password == null || password.isEmpty()) {
            send(resp, HttpServletResponse.SC_BAD_REQUEST, error("user and password are both needed"));
            return;
        }
        if (req.getUserPrincipal() != null) {
            req.logout(); // login() refuses to run over an existing sign-in
        }
        try {
            req.login(user.strip(), password);
        } catch (ServletException e) {
            // The same answer for an unknown user and a wrong password: no hint which one it was.
            send(resp, HttpServletResponse.SC_UNAUTHORIZED, error("wrong user name or password"));
            return;
        }
        JsonObject who = whoIs(req, req.getUserPrincipal());
        if (who.getJsonArray("roles").isEmpty()) {
            // The same answer as a wrong password: a different one would confirm this password.
            req.logout();
            // The name is the visitor's to choose: no control characters into the log, no forged lines.
            LOG.info(() -> user.strip().replaceAll("\\p{Cntrl}", "?")
                    + " signed in to the console but holds no vidbatch role");
            send(resp, HttpServletResponse.SC_UNAUTHORIZED, error("wrong user name or password"));
            return;
        }
        send(resp, HttpServletResponse.SC_OK, who);
    }

    /** Signs out: Liberty drops the sign-on cookie. */
    @Override
    protected void doDelete(HttpServletRequest req, HttpServletResponse resp) throws IOException, ServletException {
        req.logout();
        resp.setStatus(HttpServletResponse.SC_NO_CONTENT);
    }

    private static JsonObject whoIs(HttpServletRequest req, Principal p) {
        JsonArrayBuilder roles = Json.createArrayBuilder();
        ROLES.stream().filter(req::isUserInRole).forEach(roles::add);
        return Json.createObjectBuilder()
                .add("user", p.getName())
                .add("roles", roles)
                .build();
    }

    private static JsonObject error(String message) {
        return Json.createObjectBuilder().add("error", message).build();
    }

    private static void send(HttpServletResponse resp, int status, JsonObject body) throws IOException {
        resp.setStatus(status);
        resp.setContentType("application/json");
        resp.setCharacterEncoding("UTF-8");
        resp.setHeader("Cache-Control", "no-store");
        resp.getWriter().write(body.toString());
    }
}
