package io.vidbatch.console;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/**
 * Where the console's "Sign in with single sign-on" leads. web.xml lets only a user of a batch role
 * in, so a browser without a sign-on cookie meets the server's own sign-in first (the OpenID
 * Provider of an openidConnectClient, docs/sign-in.md) and arrives here signed in: it goes on to
 * the console, which now finds its cookie.
 */
@WebServlet(SingleSignOnServlet.PATH)
public class SingleSignOnServlet extends HttpServlet {

    static final String PATH = "/session/sso";

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setHeader("Cache-Control", "no-store");
        resp.sendRedirect(req.getContextPath() + "/console/");
    }
}
